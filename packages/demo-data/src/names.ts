/** Name parts for fictional pesantren and places. Combinations are generated; none names a real institution. */
export const PESANTREN_NAMES = [
  'Al-Hikmah', 'Darul Ulum', 'Nurul Huda', 'Miftahul Ulum', 'Al-Falah', 'Bahrul Ulum', "Mamba'ul Ulum",
  'Hidayatullah', 'Al-Amien', 'Raudlatul Ulum', 'Darussalam', 'Al-Ikhlas', 'Sabilul Muttaqin', 'Nurul Islam',
  'Darul Falah', 'Al-Anwar', "Raudlatul Qur'an", 'Al-Mubarok', 'Hidayatul Mubtadiin', "Mamba'ul Hikam",
  "Al-Ma'arif", 'Darul Hikmah', 'Al-Hidayah', 'Riyadlul Jannah', 'Ihyaul Ulum', "Manba'ul Falah",
  'Al-Istiqomah', 'Baitul Hikmah', 'Al-Khoirot', "Tahfidzul Qur'an", "Daarul Qur'an", 'Nurul Iman',
  'Sirojul Ulum', 'Al-Furqon', 'Nurul Falah', 'Minhajut Thullab', 'Al-Muhajirin', 'Roudlotut Tholibin',
  'Darul Muttaqin', 'Al-Barokah', 'Bustanul Ulum', 'Tarbiyatul Islam', 'Nurul Hikmah', 'Al-Musthofa',
] as const;

const VILLAGE_HEADS = ['Sumber', 'Karang', 'Tanjung', 'Wono', 'Kali', 'Banyu', 'Tegal', 'Sido', 'Jati', 'Bendo',
  'Ngadi', 'Pandan', 'Gedang', 'Watu', 'Sambi', 'Kedung', 'Mojo', 'Gondang', 'Pucang', 'Kebon'] as const;
const VILLAGE_TAILS = ['rejo', 'sari', 'mulyo', 'agung', 'asri', 'harjo', 'makmur', 'jaya', 'wangi', 'kidul',
  'lor', 'kulon', 'wetan', 'anyar', 'tengah', 'arum'] as const;

export const STREETS = ["KH. Hasyim Asy'ari", 'KH. Wahid Hasyim', 'Pesantren', 'Raya', 'Masjid', 'Pahlawan',
  'Diponegoro', 'Sunan Ampel', 'Sunan Giri', 'Veteran', 'Kartini', 'Merdeka'] as const;

export const ALUMNI_BRANDS = ['Berkah Jaya', 'Barokah Tani', 'Sumber Rezeki', 'Amanah Food', 'Mitra Santri',
  'Cahaya Nusantara', 'Tani Makmur', 'Karya Alumni', 'Rumah Produksi Sakinah', 'Sinar Abadi', 'Maju Bersama',
  'Rezeki Halal'] as const;

export const villageName = (head: number, tail: number): string =>
  `${VILLAGE_HEADS[head % VILLAGE_HEADS.length]}${VILLAGE_TAILS[tail % VILLAGE_TAILS.length]}`;

export const VILLAGE_PARTS = { heads: VILLAGE_HEADS.length, tails: VILLAGE_TAILS.length };
