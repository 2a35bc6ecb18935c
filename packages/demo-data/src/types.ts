export const PILLARS = ['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'] as const;
export type Pillar = (typeof PILLARS)[number];

export const CURATION_STATUSES = ['DRAFT', 'SUBMITTED', 'IN_REVIEW', 'NEEDS_REVISION', 'FEATURED'] as const;
export type CurationStatus = (typeof CURATION_STATUSES)[number];

export interface AwardRecord {
  year: number;
  category: Pillar;
  rank: 1 | 2 | 3;
}

export interface PesantrenRecord {
  id: string;
  nspp: string;
  name: string;
  slug: string;
  regencyCode: string;
  address: string;
  pillars: Pillar[];
  cooperative: { name: string; legalNumber: string } | null;
  whatsapp: string;
  memberSince: number;
  awards: AwardRecord[];
  createdAt: Date;
}

export interface CategoryRecord {
  id: string;
  slug: string;
  parentSlug: string | null;
  nameId: string;
  nameEn: string;
  position: number;
  requiresHalal: boolean;
  foodPermit: 'NONE' | 'PIRT_OR_BPOM' | 'BPOM';
  requiresSni: boolean;
}

export interface SellerRecord {
  id: string;
  pesantrenId: string;
  name: string;
  slug: string;
  pillar: Pillar;
  regencyCode: string;
  whatsapp: string;
  descriptionId: string;
  descriptionEn: string;
  createdAt: Date;
}

export interface CurationEventRecord {
  fromStatus: CurationStatus | null;
  toStatus: CurationStatus;
  note: string | null;
  actor: string;
  at: Date;
}

export interface ProductRecord {
  id: string;
  sellerId: string;
  categorySlug: string;
  slug: string;
  nameId: string;
  nameEn: string;
  descriptionId: string;
  descriptionEn: string;
  priceRupiah: number;
  stock: number;
  unit: string;
  weightGrams: number;
  halalCertificateNumber: string | null;
  halalSelfDeclared: boolean;
  bpomNumber: string | null;
  pirtNumber: string | null;
  sniCertificateNumber: string | null;
  status: CurationStatus;
  /** Generated demo popularity: distinct daily visitors of the product page. */
  viewCount: number;
  history: CurationEventRecord[];
  createdAt: Date;
  updatedAt: Date;
}
