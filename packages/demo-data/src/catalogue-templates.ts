import type { Pillar } from './types.ts';

/** What a product in the category must carry before curation can feature it. */
export type FoodPermitRule = 'NONE' | 'PIRT_OR_BPOM' | 'BPOM';

export interface CategoryTemplate {
  slug: string;
  parentSlug: string | null;
  nameId: string;
  nameEn: string;
  requiresHalal: boolean;
  foodPermit: FoodPermitRule;
  requiresSni: boolean;
}

const root = (slug: string, nameId: string, nameEn: string): CategoryTemplate => ({
  slug,
  parentSlug: null,
  nameId,
  nameEn,
  requiresHalal: false,
  foodPermit: 'NONE',
  requiresSni: false,
});

const child = (
  parentSlug: string,
  slug: string,
  nameId: string,
  nameEn: string,
  rules: Partial<Pick<CategoryTemplate, 'requiresHalal' | 'foodPermit' | 'requiresSni'>> = {},
): CategoryTemplate => ({ slug, parentSlug, nameId, nameEn, requiresHalal: false, foodPermit: 'NONE', requiresSni: false, ...rules });

const food = { requiresHalal: true, foodPermit: 'PIRT_OR_BPOM' } as const;

/** The category tree, bilingual; parents come before their children. */
export const CATEGORY_TEMPLATES: readonly CategoryTemplate[] = [
  root('makanan-minuman', 'Makanan & Minuman', 'Food & Beverages'),
  child('makanan-minuman', 'makanan-ringan', 'Makanan Ringan', 'Snacks', food),
  child('makanan-minuman', 'kopi-teh', 'Kopi & Teh', 'Coffee & Tea', food),
  child('makanan-minuman', 'madu-herbal', 'Madu & Minuman Herbal', 'Honey & Herbal Drinks', food),
  child('makanan-minuman', 'air-minum', 'Air Minum Dalam Kemasan', 'Bottled Water', { requiresHalal: true, foodPermit: 'BPOM', requiresSni: true }),
  child('makanan-minuman', 'bumbu-olahan', 'Bumbu & Olahan', 'Condiments & Preserves', food),
  child('makanan-minuman', 'kue-jajanan', 'Kue & Jajanan', 'Cakes & Traditional Sweets', food),
  root('busana-muslim', 'Busana Muslim', 'Muslim Fashion'),
  child('busana-muslim', 'sarung', 'Sarung', 'Sarongs'),
  child('busana-muslim', 'batik', 'Batik', 'Batik'),
  child('busana-muslim', 'peci-songkok', 'Peci & Songkok', 'Caps (Peci & Songkok)'),
  child('busana-muslim', 'pakaian', 'Pakaian', 'Clothing'),
  root('kerajinan', 'Kerajinan', 'Crafts'),
  child('kerajinan', 'kaligrafi', 'Kaligrafi', 'Calligraphy'),
  child('kerajinan', 'anyaman-kayu', 'Anyaman & Kayu', 'Woven & Wooden Crafts'),
  root('pertanian', 'Pertanian & Peternakan', 'Farm Produce'),
  child('pertanian', 'beras-palawija', 'Beras & Palawija', 'Rice & Grains'),
  child('pertanian', 'hasil-ternak', 'Hasil Ternak & Perikanan', 'Livestock & Fish Produce', food),
  child('pertanian', 'pupuk-organik', 'Pupuk Organik', 'Organic Fertiliser'),
  root('perawatan-diri', 'Perawatan Diri', 'Personal Care'),
  child('perawatan-diri', 'sabun-minyak-herbal', 'Sabun & Minyak Herbal', 'Herbal Soaps & Oils', { requiresHalal: true }),
  root('kitab-buku', 'Kitab & Buku', 'Books & Kitab'),
];

export interface ProductTemplate {
  categorySlug: string;
  nameId: string;
  nameEn: string;
  /** Flavours, motifs or sizes; one is appended to the name. */
  variants: readonly (readonly [id: string, en: string])[];
  unit: string;
  grams: readonly [min: number, max: number];
  rupiah: readonly [min: number, max: number];
  /** The permit this kind of product usually carries. */
  permit: 'PIRT' | 'BPOM' | 'NONE';
  /** Regencies the product is known for; its sellers are placed there when possible. */
  regencies?: readonly string[];
  pillars: readonly Pillar[];
  descriptionId: string;
  descriptionEn: string;
}

const ALL: readonly Pillar[] = ['PESANTRENPRENEUR', 'SANTRIPRENEUR', 'SOSIOPRENEUR'];
const COOP_ALUMNI: readonly Pillar[] = ['PESANTRENPRENEUR', 'SOSIOPRENEUR'];
const COOP_SANTRI: readonly Pillar[] = ['PESANTRENPRENEUR', 'SANTRIPRENEUR'];

export const PRODUCT_TEMPLATES: readonly ProductTemplate[] = [
  {
    categorySlug: 'makanan-ringan', nameId: 'Keripik Tempe', nameEn: 'Tempeh Chips',
    variants: [['Original', 'Original'], ['Pedas', 'Spicy'], ['Balado', 'Balado'], ['Daun Jeruk', 'Lime Leaf']],
    unit: 'bungkus', grams: [100, 250], rupiah: [10_000, 25_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Keripik tempe tipis dan renyah dari kedelai pilihan, digoreng dengan minyak baru setiap hari.',
    descriptionEn: 'Thin, crunchy tempeh chips from selected soybeans, fried in fresh oil every day.',
  },
  {
    categorySlug: 'makanan-ringan', nameId: 'Keripik Singkong', nameEn: 'Cassava Chips',
    variants: [['Original', 'Original'], ['Pedas Manis', 'Sweet & Spicy'], ['Balado', 'Balado']],
    unit: 'bungkus', grams: [150, 300], rupiah: [8_000, 20_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Keripik singkong renyah dari singkong petani sekitar pesantren.',
    descriptionEn: 'Crunchy cassava chips made from cassava grown by farmers around the pesantren.',
  },
  {
    categorySlug: 'makanan-ringan', nameId: 'Rengginang', nameEn: 'Rengginang Rice Crackers',
    variants: [['Original', 'Original'], ['Terasi', 'Shrimp Paste'], ['Bawang', 'Garlic']],
    unit: 'bungkus', grams: [200, 500], rupiah: [12_000, 30_000], permit: 'PIRT', pillars: COOP_SANTRI,
    descriptionId: 'Rengginang dari beras ketan, dijemur alami dan siap digoreng.',
    descriptionEn: 'Glutinous rice crackers, sun-dried and ready to fry.',
  },
  {
    categorySlug: 'makanan-ringan', nameId: 'Kerupuk Udang', nameEn: 'Prawn Crackers',
    variants: [['Mentah', 'Uncooked'], ['Siap Makan', 'Ready to Eat']],
    unit: 'bungkus', grams: [250, 500], rupiah: [15_000, 45_000], permit: 'PIRT', regencies: ['3515', '3525'], pillars: ALL,
    descriptionId: 'Kerupuk udang dengan kandungan udang tinggi, khas pesisir utara Jawa Timur.',
    descriptionEn: 'Prawn crackers rich in real prawn, a speciality of the north coast of East Java.',
  },
  {
    categorySlug: 'makanan-ringan', nameId: 'Keripik Pisang', nameEn: 'Banana Chips',
    variants: [['Manis', 'Sweet'], ['Asin', 'Salted'], ['Cokelat', 'Chocolate']],
    unit: 'bungkus', grams: [150, 250], rupiah: [12_000, 25_000], permit: 'PIRT', regencies: ['3508'], pillars: ALL,
    descriptionId: 'Keripik pisang agung dan kepok yang dipotong tipis.',
    descriptionEn: 'Thinly sliced chips of agung and kepok bananas.',
  },
  {
    categorySlug: 'makanan-ringan', nameId: 'Keripik Apel', nameEn: 'Apple Chips',
    variants: [['Original', 'Original']],
    unit: 'bungkus', grams: [80, 150], rupiah: [20_000, 35_000], permit: 'PIRT', regencies: ['3579', '3507'], pillars: COOP_ALUMNI,
    descriptionId: 'Keripik apel manalagi yang digoreng vakum tanpa tambahan gula.',
    descriptionEn: 'Vacuum-fried manalagi apple chips with no added sugar.',
  },
  {
    categorySlug: 'kopi-teh', nameId: 'Kopi Arabika Ijen', nameEn: 'Ijen Arabica Coffee',
    variants: [['Biji Sangrai', 'Roasted Beans'], ['Bubuk', 'Ground']],
    unit: 'bungkus', grams: [200, 500], rupiah: [45_000, 120_000], permit: 'PIRT', regencies: ['3511', '3510'], pillars: COOP_ALUMNI,
    descriptionId: 'Kopi arabika dari lereng Ijen, disangrai medium untuk rasa buah yang lembut.',
    descriptionEn: 'Arabica from the slopes of Ijen, medium-roasted for a soft fruity taste.',
  },
  {
    categorySlug: 'kopi-teh', nameId: 'Kopi Robusta Dampit', nameEn: 'Dampit Robusta Coffee',
    variants: [['Biji Sangrai', 'Roasted Beans'], ['Bubuk', 'Ground']],
    unit: 'bungkus', grams: [200, 500], rupiah: [30_000, 80_000], permit: 'PIRT', regencies: ['3507'], pillars: COOP_ALUMNI,
    descriptionId: 'Kopi robusta Dampit dengan rasa cokelat yang kuat.',
    descriptionEn: 'Dampit robusta with a strong chocolate note.',
  },
  {
    categorySlug: 'kopi-teh', nameId: 'Kopi Rempah', nameEn: 'Spiced Coffee',
    variants: [['Jahe', 'Ginger'], ['Kayu Manis', 'Cinnamon']],
    unit: 'bungkus', grams: [150, 250], rupiah: [20_000, 40_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Kopi bubuk yang diracik dengan rempah pilihan.',
    descriptionEn: 'Ground coffee blended with selected spices.',
  },
  {
    categorySlug: 'kopi-teh', nameId: 'Teh Hijau', nameEn: 'Green Tea',
    variants: [['Daun Kering', 'Loose Leaf'], ['Celup', 'Tea Bags']],
    unit: 'kotak', grams: [50, 100], rupiah: [15_000, 35_000], permit: 'PIRT', regencies: ['3507', '3579'], pillars: COOP_ALUMNI,
    descriptionId: 'Teh hijau dari kebun teh dataran tinggi Malang.',
    descriptionEn: 'Green tea from the highland tea gardens of Malang.',
  },
  {
    categorySlug: 'madu-herbal', nameId: 'Madu Hutan', nameEn: 'Wild Forest Honey',
    variants: [['250 ml', '250 ml'], ['500 ml', '500 ml']],
    unit: 'botol', grams: [350, 700], rupiah: [45_000, 110_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Madu hutan murni yang dipanen tanpa merusak sarang.',
    descriptionEn: 'Pure wild honey, harvested without destroying the hive.',
  },
  {
    categorySlug: 'madu-herbal', nameId: 'Madu Klanceng', nameEn: 'Stingless Bee Honey',
    variants: [['150 ml', '150 ml'], ['300 ml', '300 ml']],
    unit: 'botol', grams: [200, 400], rupiah: [75_000, 160_000], permit: 'PIRT', regencies: ['3525', '3524'], pillars: ALL,
    descriptionId: 'Madu lebah klanceng (trigona) dengan rasa asam manis yang khas.',
    descriptionEn: 'Honey of stingless (trigona) bees, with its typical sweet-sour taste.',
  },
  {
    categorySlug: 'madu-herbal', nameId: 'Jamu Kunyit Asam', nameEn: 'Turmeric Tamarind Jamu',
    variants: [['Botol', 'Bottled'], ['Serbuk Instan', 'Instant Powder']],
    unit: 'botol', grams: [250, 500], rupiah: [10_000, 30_000], permit: 'PIRT', pillars: COOP_SANTRI,
    descriptionId: 'Jamu kunyit asam dari kunyit segar dan asam jawa, tanpa pengawet.',
    descriptionEn: 'Turmeric and tamarind jamu from fresh roots, without preservatives.',
  },
  {
    categorySlug: 'madu-herbal', nameId: 'Wedang Jahe Instan', nameEn: 'Instant Ginger Drink',
    variants: [['Original', 'Original'], ['Sereh', 'Lemongrass']],
    unit: 'kotak', grams: [200, 300], rupiah: [15_000, 30_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Serbuk jahe merah instan, tinggal seduh dengan air panas.',
    descriptionEn: 'Instant red ginger powder; just add hot water.',
  },
  {
    categorySlug: 'air-minum', nameId: 'Air Mineral', nameEn: 'Mineral Water',
    variants: [['600 ml', '600 ml'], ['1.500 ml', '1,500 ml'], ['Karton 24 x 330 ml', 'Carton 24 x 330 ml']],
    unit: 'botol', grams: [650, 8_500], rupiah: [3_000, 45_000], permit: 'BPOM', pillars: ['PESANTRENPRENEUR'],
    descriptionId: 'Air minum dalam kemasan produksi koperasi pesantren, diproses dengan standar SNI.',
    descriptionEn: 'Bottled water produced by the pesantren cooperative to the SNI standard.',
  },
  {
    categorySlug: 'bumbu-olahan', nameId: 'Sambal Bawang', nameEn: 'Shallot Chilli Sambal',
    variants: [['Original', 'Original'], ['Extra Pedas', 'Extra Hot'], ['Cumi', 'Squid']],
    unit: 'botol', grams: [150, 250], rupiah: [18_000, 35_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Sambal bawang goreng dengan cabai rawit segar.',
    descriptionEn: 'Fried shallot sambal with fresh bird’s-eye chillies.',
  },
  {
    categorySlug: 'bumbu-olahan', nameId: 'Petis Udang', nameEn: 'Shrimp Petis Paste',
    variants: [['Kental', 'Thick']],
    unit: 'toples', grams: [200, 500], rupiah: [20_000, 45_000], permit: 'PIRT', regencies: ['3515', '3525'], pillars: COOP_ALUMNI,
    descriptionId: 'Petis udang hitam pekat untuk rujak cingur dan tahu campur.',
    descriptionEn: 'Dark shrimp paste for rujak cingur and tahu campur.',
  },
  {
    categorySlug: 'bumbu-olahan', nameId: 'Abon Sapi', nameEn: 'Beef Floss',
    variants: [['Original', 'Original'], ['Pedas', 'Spicy']],
    unit: 'bungkus', grams: [100, 250], rupiah: [30_000, 65_000], permit: 'PIRT', pillars: ALL,
    descriptionId: 'Abon daging sapi disembelih secara halal, dimasak dengan bumbu rempah.',
    descriptionEn: 'Floss of halal-slaughtered beef, cooked with spices.',
  },
  {
    categorySlug: 'bumbu-olahan', nameId: 'Bumbu Pecel', nameEn: 'Pecel Peanut Sauce',
    variants: [['Sedang', 'Medium'], ['Pedas', 'Hot']],
    unit: 'bungkus', grams: [250, 500], rupiah: [15_000, 30_000], permit: 'PIRT', regencies: ['3519', '3577', '3505'], pillars: ALL,
    descriptionId: 'Bumbu pecel kacang khas Madiun, tinggal diseduh air hangat.',
    descriptionEn: 'Madiun-style peanut sauce for pecel; just add warm water.',
  },
  {
    categorySlug: 'bumbu-olahan', nameId: 'Garam Beryodium', nameEn: 'Iodised Salt',
    variants: [['Halus', 'Fine'], ['Krosok', 'Coarse']],
    unit: 'bungkus', grams: [250, 1_000], rupiah: [4_000, 12_000], permit: 'BPOM', regencies: ['3527', '3528', '3529'], pillars: COOP_ALUMNI,
    descriptionId: 'Garam beryodium dari tambak garam Madura.',
    descriptionEn: 'Iodised salt from the salt pans of Madura.',
  },
  {
    categorySlug: 'kue-jajanan', nameId: 'Wingko Babat', nameEn: 'Wingko Coconut Cake',
    variants: [['Original', 'Original'], ['Durian', 'Durian'], ['Cokelat', 'Chocolate']],
    unit: 'kotak', grams: [250, 500], rupiah: [20_000, 40_000], permit: 'PIRT', regencies: ['3524'], pillars: ALL,
    descriptionId: 'Wingko kelapa muda khas Babat, Lamongan.',
    descriptionEn: 'Young-coconut cake from Babat, Lamongan.',
  },
  {
    categorySlug: 'kue-jajanan', nameId: 'Brem', nameEn: 'Brem Rice Cake',
    variants: [['Original', 'Original']],
    unit: 'kotak', grams: [150, 300], rupiah: [12_000, 25_000], permit: 'PIRT', regencies: ['3519', '3577'], pillars: ALL,
    descriptionId: 'Brem dari sari tape ketan, manis dan lumer di mulut.',
    descriptionEn: 'Brem made from fermented glutinous rice; sweet and melting.',
  },
  {
    categorySlug: 'kue-jajanan', nameId: 'Kue Kering', nameEn: 'Cookies',
    variants: [['Nastar', 'Pineapple Tarts'], ['Kastengel', 'Cheese Sticks'], ['Putri Salju', 'Snowball Cookies']],
    unit: 'toples', grams: [250, 500], rupiah: [40_000, 90_000], permit: 'PIRT', pillars: COOP_SANTRI,
    descriptionId: 'Kue kering buatan tangan santri, cocok untuk hantaran.',
    descriptionEn: 'Handmade cookies by santri, made for gifting.',
  },
  {
    categorySlug: 'sarung', nameId: 'Sarung Tenun', nameEn: 'Woven Sarong',
    variants: [['Motif Kotak', 'Check Pattern'], ['Motif Songket', 'Songket Pattern'], ['Polos', 'Plain']],
    unit: 'lembar', grams: [400, 700], rupiah: [85_000, 350_000], permit: 'NONE', regencies: ['3525'], pillars: COOP_ALUMNI,
    descriptionId: 'Sarung tenun ATBM (alat tenun bukan mesin) dari benang rayon pilihan.',
    descriptionEn: 'Sarong woven on traditional hand looms from selected rayon yarn.',
  },
  {
    categorySlug: 'sarung', nameId: 'Sarung Batik', nameEn: 'Batik Sarong',
    variants: [['Motif Pesisiran', 'Coastal Pattern'], ['Motif Parang', 'Parang Pattern']],
    unit: 'lembar', grams: [350, 600], rupiah: [75_000, 250_000], permit: 'NONE', pillars: ALL,
    descriptionId: 'Sarung batik cap dengan pewarna yang tidak luntur.',
    descriptionEn: 'Stamped batik sarong with colourfast dyes.',
  },
  {
    categorySlug: 'batik', nameId: 'Batik Tulis Madura', nameEn: 'Madurese Hand-drawn Batik',
    variants: [['Motif Sekar Jagad', 'Sekar Jagad Pattern'], ['Motif Carcena', 'Carcena Pattern']],
    unit: 'lembar', grams: [250, 400], rupiah: [150_000, 750_000], permit: 'NONE', regencies: ['3526', '3528'], pillars: ALL,
    descriptionId: 'Batik tulis Madura dengan warna berani, dibuat satu per satu.',
    descriptionEn: 'Bold-coloured Madurese batik, drawn by hand piece by piece.',
  },
  {
    categorySlug: 'batik', nameId: 'Batik Gedog', nameEn: 'Gedog Batik',
    variants: [['Kain Tenun', 'Woven Cloth']],
    unit: 'lembar', grams: [300, 500], rupiah: [200_000, 900_000], permit: 'NONE', regencies: ['3523'], pillars: ALL,
    descriptionId: 'Batik di atas kain tenun gedog khas Tuban.',
    descriptionEn: 'Batik on gedog hand-woven cloth from Tuban.',
  },
  {
    categorySlug: 'batik', nameId: 'Batik Cap', nameEn: 'Stamped Batik',
    variants: [['Katun', 'Cotton'], ['Rayon', 'Rayon']],
    unit: 'lembar', grams: [250, 400], rupiah: [70_000, 180_000], permit: 'NONE', regencies: ['3515', '3510'], pillars: ALL,
    descriptionId: 'Kain batik cap dua meter, siap dijahit.',
    descriptionEn: 'Two metres of stamped batik cloth, ready to tailor.',
  },
  {
    categorySlug: 'peci-songkok', nameId: 'Songkok', nameEn: 'Songkok Cap',
    variants: [['Hitam Polos', 'Plain Black'], ['Bordir', 'Embroidered']],
    unit: 'buah', grams: [80, 150], rupiah: [35_000, 95_000], permit: 'NONE', regencies: ['3525'], pillars: ALL,
    descriptionId: 'Songkok beludru dengan jahitan rapi, nyaman dipakai seharian.',
    descriptionEn: 'Velvet songkok with neat stitching, comfortable all day.',
  },
  {
    categorySlug: 'peci-songkok', nameId: 'Peci Rajut', nameEn: 'Knitted Peci',
    variants: [['Putih', 'White'], ['Motif', 'Patterned']],
    unit: 'buah', grams: [40, 80], rupiah: [15_000, 40_000], permit: 'NONE', pillars: ['SANTRIPRENEUR', 'SOSIOPRENEUR'],
    descriptionId: 'Peci rajut tangan karya santri.',
    descriptionEn: 'Hand-knitted peci made by santri.',
  },
  {
    categorySlug: 'pakaian', nameId: 'Baju Koko', nameEn: 'Koko Shirt',
    variants: [['Lengan Panjang', 'Long Sleeve'], ['Lengan Pendek', 'Short Sleeve']],
    unit: 'potong', grams: [250, 400], rupiah: [85_000, 220_000], permit: 'NONE', pillars: ALL,
    descriptionId: 'Baju koko katun dengan bordir leher, ukuran S sampai XXL.',
    descriptionEn: 'Cotton koko shirt with an embroidered collar, sizes S to XXL.',
  },
  {
    categorySlug: 'pakaian', nameId: 'Kerudung', nameEn: 'Headscarf',
    variants: [['Segi Empat', 'Square'], ['Instan', 'Instant']],
    unit: 'potong', grams: [100, 200], rupiah: [25_000, 85_000], permit: 'NONE', pillars: ALL,
    descriptionId: 'Kerudung voal yang adem dan mudah dibentuk.',
    descriptionEn: 'Cool voile headscarf that is easy to style.',
  },
  {
    categorySlug: 'kaligrafi', nameId: 'Kaligrafi Kayu', nameEn: 'Wooden Calligraphy',
    variants: [['Ayat Kursi', 'Ayat al-Kursi'], ['Basmalah', 'Basmala']],
    unit: 'buah', grams: [1_000, 4_000], rupiah: [150_000, 850_000], permit: 'NONE', pillars: ['SANTRIPRENEUR', 'SOSIOPRENEUR'],
    descriptionId: 'Kaligrafi ukir kayu jati, dikerjakan tangan oleh santri.',
    descriptionEn: 'Carved teak calligraphy, handmade by santri.',
  },
  {
    categorySlug: 'kaligrafi', nameId: 'Kaligrafi Kanvas', nameEn: 'Calligraphy on Canvas',
    variants: [['40 x 60 cm', '40 x 60 cm'], ['60 x 90 cm', '60 x 90 cm']],
    unit: 'buah', grams: [800, 2_000], rupiah: [120_000, 450_000], permit: 'NONE', pillars: ['SANTRIPRENEUR'],
    descriptionId: 'Lukisan kaligrafi cat akrilik di atas kanvas, lengkap dengan bingkai.',
    descriptionEn: 'Acrylic calligraphy painting on canvas, framed.',
  },
  {
    categorySlug: 'anyaman-kayu', nameId: 'Tas Anyaman Pandan', nameEn: 'Pandan Woven Bag',
    variants: [['Natural', 'Natural'], ['Warna', 'Coloured']],
    unit: 'buah', grams: [200, 500], rupiah: [45_000, 150_000], permit: 'NONE', pillars: ALL,
    descriptionId: 'Tas anyaman daun pandan, ringan dan kuat.',
    descriptionEn: 'Bag woven from pandan leaves, light and strong.',
  },
  {
    categorySlug: 'anyaman-kayu', nameId: 'Tasbih Kayu', nameEn: 'Wooden Prayer Beads',
    variants: [['33 Butir', '33 Beads'], ['99 Butir', '99 Beads']],
    unit: 'buah', grams: [30, 100], rupiah: [15_000, 75_000], permit: 'NONE', pillars: ['SANTRIPRENEUR', 'SOSIOPRENEUR'],
    descriptionId: 'Tasbih dari kayu kokka dan sawo, dibubut halus.',
    descriptionEn: 'Prayer beads turned from kokka and sapodilla wood.',
  },
  {
    categorySlug: 'beras-palawija', nameId: 'Beras Organik', nameEn: 'Organic Rice',
    variants: [['Putih', 'White'], ['Merah', 'Red'], ['Hitam', 'Black']],
    unit: 'karung', grams: [5_000, 5_000], rupiah: [75_000, 140_000], permit: 'NONE', regencies: ['3521', '3517', '3524'], pillars: COOP_ALUMNI,
    descriptionId: 'Beras organik dari sawah binaan pesantren, tanpa pupuk kimia. Kemasan 5 kg.',
    descriptionEn: 'Organic rice from the pesantren’s partner paddies, no chemical fertiliser. 5 kg bag.',
  },
  {
    categorySlug: 'beras-palawija', nameId: 'Kacang Tanah', nameEn: 'Peanuts',
    variants: [['Kupas', 'Shelled'], ['Sangrai', 'Roasted']],
    unit: 'bungkus', grams: [500, 1_000], rupiah: [18_000, 40_000], permit: 'NONE', regencies: ['3523', '3522'], pillars: COOP_ALUMNI,
    descriptionId: 'Kacang tanah pilihan hasil panen petani binaan.',
    descriptionEn: 'Selected peanuts from partner farmers’ harvests.',
  },
  {
    categorySlug: 'hasil-ternak', nameId: 'Telur Ayam Kampung', nameEn: 'Free-range Chicken Eggs',
    variants: [['Isi 10', '10 Eggs'], ['Isi 30', '30 Eggs']],
    unit: 'kemasan', grams: [500, 1_800], rupiah: [25_000, 75_000], permit: 'NONE', pillars: COOP_SANTRI,
    descriptionId: 'Telur ayam kampung dari peternakan santri.',
    descriptionEn: 'Free-range eggs from the santri’s poultry farm.',
  },
  {
    categorySlug: 'hasil-ternak', nameId: 'Bandeng Asap', nameEn: 'Smoked Milkfish',
    variants: [['Utuh', 'Whole'], ['Presto', 'Pressure-cooked']],
    unit: 'ekor', grams: [300, 600], rupiah: [35_000, 75_000], permit: 'PIRT', regencies: ['3515', '3525'], pillars: COOP_ALUMNI,
    descriptionId: 'Bandeng tambak yang diasap dengan kayu, tanpa duri halus untuk varian presto.',
    descriptionEn: 'Pond milkfish smoked over wood; the pressure-cooked kind has soft bones.',
  },
  {
    categorySlug: 'hasil-ternak', nameId: 'Susu Kambing Etawa Bubuk', nameEn: 'Etawa Goat Milk Powder',
    variants: [['Original', 'Original'], ['Cokelat', 'Chocolate'], ['Jahe', 'Ginger']],
    unit: 'kotak', grams: [200, 400], rupiah: [45_000, 95_000], permit: 'BPOM', pillars: COOP_ALUMNI,
    descriptionId: 'Susu kambing etawa bubuk dari peternakan pesantren.',
    descriptionEn: 'Powdered etawa goat milk from the pesantren farm.',
  },
  {
    categorySlug: 'pupuk-organik', nameId: 'Pupuk Kompos', nameEn: 'Compost',
    variants: [['5 kg', '5 kg'], ['25 kg', '25 kg']],
    unit: 'karung', grams: [5_000, 25_000], rupiah: [15_000, 60_000], permit: 'NONE', pillars: ['PESANTRENPRENEUR', 'SANTRIPRENEUR'],
    descriptionId: 'Kompos dari limbah dapur dan kandang pesantren, sudah matang dan tidak berbau.',
    descriptionEn: 'Mature, odourless compost from the pesantren’s kitchen and farm waste.',
  },
  {
    categorySlug: 'pupuk-organik', nameId: 'Pupuk Organik Cair', nameEn: 'Liquid Organic Fertiliser',
    variants: [['1 liter', '1 litre']],
    unit: 'botol', grams: [1_100, 1_100], rupiah: [20_000, 35_000], permit: 'NONE', pillars: ['PESANTRENPRENEUR', 'SANTRIPRENEUR'],
    descriptionId: 'Pupuk organik cair hasil fermentasi, untuk sayur dan tanaman buah.',
    descriptionEn: 'Fermented liquid organic fertiliser for vegetables and fruit trees.',
  },
  {
    categorySlug: 'sabun-minyak-herbal', nameId: 'Sabun Sereh', nameEn: 'Lemongrass Soap',
    variants: [['Batang', 'Bar'], ['Cair', 'Liquid']],
    unit: 'buah', grams: [100, 250], rupiah: [10_000, 30_000], permit: 'NONE', pillars: COOP_SANTRI,
    descriptionId: 'Sabun minyak kelapa dengan minyak atsiri sereh.',
    descriptionEn: 'Coconut-oil soap with lemongrass essential oil.',
  },
  {
    categorySlug: 'sabun-minyak-herbal', nameId: 'Minyak Kayu Putih', nameEn: 'Cajuput Oil',
    variants: [['60 ml', '60 ml'], ['120 ml', '120 ml']],
    unit: 'botol', grams: [80, 160], rupiah: [20_000, 45_000], permit: 'NONE', pillars: COOP_ALUMNI,
    descriptionId: 'Minyak kayu putih murni hasil penyulingan sendiri.',
    descriptionEn: 'Pure cajuput oil from our own distillery.',
  },
  {
    categorySlug: 'kitab-buku', nameId: 'Kitab Terjemah', nameEn: 'Translated Kitab',
    variants: [['Fiqih', 'Fiqh'], ['Akhlak', 'Ethics'], ['Tajwid', 'Tajwid']],
    unit: 'buku', grams: [200, 600], rupiah: [25_000, 85_000], permit: 'NONE', pillars: ['PESANTRENPRENEUR'],
    descriptionId: 'Kitab kuning dengan makna gandul dan terjemah bahasa Indonesia.',
    descriptionEn: 'Classical kitab with interlinear meaning and an Indonesian translation.',
  },
  {
    categorySlug: 'kitab-buku', nameId: 'Buku Tulis Santri', nameEn: 'Santri Exercise Books',
    variants: [['Isi 10', 'Pack of 10']],
    unit: 'pak', grams: [800, 1_200], rupiah: [30_000, 55_000], permit: 'NONE', pillars: ['PESANTRENPRENEUR', 'SANTRIPRENEUR'],
    descriptionId: 'Buku tulis bergaris untuk menulis pegon dan latin.',
    descriptionEn: 'Lined exercise books for writing pegon and Latin script.',
  },
];
