import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { assertPhotoKey, type PhotoStore, type StoredObject } from './photo-store.ts';

const CONTENT_TYPES: Record<string, string> = {
  avif: 'image/avif',
  webp: 'image/webp',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
};

/** The content type a key's extension names; originals have none and are served to no one. */
export const contentTypeOf = (key: string) => CONTENT_TYPES[key.slice(key.lastIndexOf('.') + 1)] ?? 'application/octet-stream';

/**
 * Photos in a folder of the local disk, the embedded default. A write goes to a temporary file
 * that is renamed into place, so a crash leaves either the old state or the whole new file.
 */
export class DiskPhotoStore implements PhotoStore {
  readonly kind = 'disk' as const;
  readonly #root: string;
  readonly #publicBaseUrl: string;

  constructor(root: string, publicBaseUrl: string) {
    this.#root = root;
    this.#publicBaseUrl = publicBaseUrl.replace(/\/+$/, '');
  }

  #path(key: string): string {
    assertPhotoKey(key);
    return join(this.#root, ...key.split('/'));
  }

  async put(key: string, bytes: Uint8Array, _contentType: string): Promise<void> {
    const path = this.#path(key);
    await mkdir(dirname(path), { recursive: true });
    const temporary = `${path}.${randomUUID()}.part`;
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, path);
    } catch (error) {
      await rm(temporary, { force: true });
      throw error;
    }
  }

  async get(key: string): Promise<StoredObject | null> {
    try {
      return { bytes: await readFile(this.#path(key)), contentType: contentTypeOf(key) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async has(key: string): Promise<boolean> {
    try {
      return (await stat(this.#path(key))).isFile();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.#path(key), { force: true });
  }

  publicUrl(key: string): string {
    assertPhotoKey(key);
    return `${this.#publicBaseUrl}/${key}`;
  }

  async ping(): Promise<void> {
    await mkdir(this.#root, { recursive: true });
  }
}
