import { DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { IMMUTABLE } from './photo.routes.ts';
import { assertPhotoKey, PUBLIC_PREFIX, type PhotoStore, type StoredObject } from './photo-store.ts';

export interface S3StoreConfig {
  /** The S3 endpoint, e.g. http://minio:9000 or https://s3.ap-southeast-3.amazonaws.com. */
  url: string;
  bucket: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Where browsers fetch public objects (a CDN in front of the bucket); `<url>/<bucket>` by default. */
  publicUrl: string | undefined;
}

/** What the store needs of an S3 client: one method, so tests can stand in for a server. */
export type S3Sender = Pick<S3Client, 'send'>;

const isMissing = (error: unknown) => {
  const { name, $metadata } = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return name === 'NoSuchKey' || name === 'NotFound' || $metadata?.httpStatusCode === 404;
};

/**
 * Photos in S3-compatible object storage (AWS S3, MinIO, Cloudflare R2…). A PUT is atomic in S3,
 * so readers never see half an object. Path-style addressing, which MinIO needs and AWS accepts.
 * Only `p/` objects are meant to be public (the bucket policy in docker-compose grants anonymous
 * reads of that prefix alone); originals, with their EXIF, stay private until deleted.
 */
export class S3PhotoStore implements PhotoStore {
  readonly kind = 's3' as const;
  readonly #client: S3Sender;
  readonly #bucket: string;
  readonly #publicBaseUrl: string;

  constructor(config: S3StoreConfig, client?: S3Sender) {
    this.#client =
      client ??
      new S3Client({
        endpoint: config.url,
        region: config.region,
        forcePathStyle: true,
        credentials: { accessKeyId: config.accessKeyId, secretAccessKey: config.secretAccessKey },
      });
    this.#bucket = config.bucket;
    this.#publicBaseUrl = (config.publicUrl ?? `${config.url.replace(/\/+$/, '')}/${config.bucket}`).replace(/\/+$/, '');
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    assertPhotoKey(key);
    await this.#client.send(
      new PutObjectCommand({
        Bucket: this.#bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        ...(key.startsWith(PUBLIC_PREFIX) ? { CacheControl: IMMUTABLE } : {}),
      }),
    );
  }

  async get(key: string): Promise<StoredObject | null> {
    assertPhotoKey(key);
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: key }));
      if (!object.Body) return null;
      return { bytes: await object.Body.transformToByteArray(), contentType: object.ContentType ?? 'application/octet-stream' };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    assertPhotoKey(key);
    try {
      await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: key }));
      return true;
    } catch (error) {
      if (isMissing(error)) return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    assertPhotoKey(key);
    // S3 answers a delete of a missing key with success: nothing to map.
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: key }));
  }

  publicUrl(key: string): string {
    assertPhotoKey(key);
    return `${this.#publicBaseUrl}/${key}`;
  }

  async ping(): Promise<void> {
    await this.#client.send(new HeadBucketCommand({ Bucket: this.#bucket }));
  }
}
