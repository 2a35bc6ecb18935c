import { canManagePesantren } from '@opop/server-kit';
import type { CatalogueContext } from '../../context.ts';
import type { ImageFormat, Resolvers } from '../../generated/graphql.ts';
import type { StoredImage } from '../product/product.entity.ts';
import type { Photo } from './photo.entity.ts';
import type { PhotoStore } from './photo-store.ts';
import { MAX_LISTED_PHOTOS } from './photo.service.ts';

const FORMAT: Record<'avif' | 'webp' | 'jpeg', ImageFormat> = { avif: 'AVIF', webp: 'WEBP', jpeg: 'JPEG' };

/** A stored photo as the API shows it: URLs made from the store's keys at read time. */
export interface ProductImageView {
  url: string;
  alt: { indonesian: string; english: string | null };
  width: number | null;
  height: number | null;
  color: string | null;
  placeholder: string | null;
  sources: { format: ImageFormat; type: string; width: number; height: number; url: string }[];
}

export function imageView(image: StoredImage, store: PhotoStore): ProductImageView {
  const variants = [...(image.variants ?? [])].sort((a, b) => a.width - b.width);
  const largestJpeg = variants.filter((variant) => variant.format === 'jpeg').at(-1);
  return {
    url: largestJpeg ? store.publicUrl(largestJpeg.key) : (image.url ?? ''),
    alt: image.alt,
    width: image.width ?? null,
    height: image.height ?? null,
    color: image.color ?? null,
    placeholder: image.placeholder ?? null,
    sources: variants.map((variant) => ({
      format: FORMAT[variant.format],
      type: `image/${variant.format}`,
      width: variant.width,
      height: variant.height,
      url: store.publicUrl(variant.key),
    })),
  };
}

const photoImage = (photo: Photo): StoredImage => ({
  photoId: photo.id,
  alt: { indonesian: photo.altIndonesian, english: photo.altEnglish ?? null },
  width: photo.width ?? undefined,
  height: photo.height ?? undefined,
  color: photo.color ?? undefined,
  placeholder: photo.placeholder ?? undefined,
  variants: photo.variants,
});

export const photoResolvers: Resolvers = {
  Mutation: {
    startPhotoUpload: (_parent, { input }, ctx) => ctx.photoService.startUpload(input),
    arrangeProductPhotos: (_parent, { productId, photos }, ctx) => ctx.photoService.arrange(productId, photos),
  },
  Product: {
    images: (product, _args, ctx: CatalogueContext) => product.images.filter((image) => image.url || image.variants?.length).map((image) => imageView(image, ctx.photos.store)),
    photos: async (product, _args, ctx) => {
      // The field's policy lets operators in; which pesantren's photos they see is checked here.
      const seller = await ctx.loaders.sellerById.load(product.seller.id);
      if (!seller || !canManagePesantren(ctx.identity, seller.pesantrenId)) return [];
      const now = new Date();
      return (await ctx.loaders.photosOfProduct.load(product.id))
        .filter((photo) => photo.status !== 'AWAITING_UPLOAD' || photo.uploadExpiresAt > now)
        .slice(0, MAX_LISTED_PHOTOS);
    },
  },
  ProductPhoto: {
    alt: (photo) => ({ indonesian: photo.altIndonesian, english: photo.altEnglish ?? null }),
    image: (photo, _args, ctx) => (photo.status === 'READY' ? imageView(photoImage(photo), ctx.photos.store) : null),
  },
};
