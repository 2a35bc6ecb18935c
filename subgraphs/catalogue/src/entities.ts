import { Category } from './modules/category/category.entity.ts';
import { CurationEvent } from './modules/curation/curation-event.entity.ts';
import { Product } from './modules/product/product.entity.ts';
import { Seller } from './modules/seller/seller.entity.ts';

export const entities = [Category, Seller, Product, CurationEvent];
