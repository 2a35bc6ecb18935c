/** East Java's 38 regencies (kabupaten) and cities (kota) with their BPS codes: shared/domain/regencies.csv. */
export interface Regency {
  code: string;
  kind: 'KABUPATEN' | 'KOTA';
  name: string;
  provinceCode: string;
  provinceName: string;
}

export const EAST_JAVA_REGENCIES: readonly Regency[] = [
  { code: '3501', kind: 'KABUPATEN', name: 'Pacitan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3502', kind: 'KABUPATEN', name: 'Ponorogo', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3503', kind: 'KABUPATEN', name: 'Trenggalek', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3504', kind: 'KABUPATEN', name: 'Tulungagung', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3505', kind: 'KABUPATEN', name: 'Blitar', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3506', kind: 'KABUPATEN', name: 'Kediri', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3507', kind: 'KABUPATEN', name: 'Malang', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3508', kind: 'KABUPATEN', name: 'Lumajang', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3509', kind: 'KABUPATEN', name: 'Jember', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3510', kind: 'KABUPATEN', name: 'Banyuwangi', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3511', kind: 'KABUPATEN', name: 'Bondowoso', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3512', kind: 'KABUPATEN', name: 'Situbondo', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3513', kind: 'KABUPATEN', name: 'Probolinggo', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3514', kind: 'KABUPATEN', name: 'Pasuruan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3515', kind: 'KABUPATEN', name: 'Sidoarjo', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3516', kind: 'KABUPATEN', name: 'Mojokerto', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3517', kind: 'KABUPATEN', name: 'Jombang', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3518', kind: 'KABUPATEN', name: 'Nganjuk', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3519', kind: 'KABUPATEN', name: 'Madiun', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3520', kind: 'KABUPATEN', name: 'Magetan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3521', kind: 'KABUPATEN', name: 'Ngawi', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3522', kind: 'KABUPATEN', name: 'Bojonegoro', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3523', kind: 'KABUPATEN', name: 'Tuban', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3524', kind: 'KABUPATEN', name: 'Lamongan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3525', kind: 'KABUPATEN', name: 'Gresik', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3526', kind: 'KABUPATEN', name: 'Bangkalan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3527', kind: 'KABUPATEN', name: 'Sampang', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3528', kind: 'KABUPATEN', name: 'Pamekasan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3529', kind: 'KABUPATEN', name: 'Sumenep', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3571', kind: 'KOTA', name: 'Kediri', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3572', kind: 'KOTA', name: 'Blitar', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3573', kind: 'KOTA', name: 'Malang', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3574', kind: 'KOTA', name: 'Probolinggo', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3575', kind: 'KOTA', name: 'Pasuruan', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3576', kind: 'KOTA', name: 'Mojokerto', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3577', kind: 'KOTA', name: 'Madiun', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3578', kind: 'KOTA', name: 'Surabaya', provinceCode: '35', provinceName: 'Jawa Timur' },
  { code: '3579', kind: 'KOTA', name: 'Batu', provinceCode: '35', provinceName: 'Jawa Timur' },
];

/** As Indonesians write it: Kabupaten Jombang, Kota Surabaya. */
export function regencyDisplayName(regency: Pick<Regency, 'kind' | 'name'>): string {
  return `${regency.kind === 'KOTA' ? 'Kota' : 'Kabupaten'} ${regency.name}`;
}
