import type { APIRoute } from 'astro';
import sharp from 'sharp';
import { allCategories } from '../../lib/data.ts';
import { isPartialBuild } from '../../lib/partial-build.ts';

/**
 * Share images (1200×630) for links posted in WhatsApp and social media: one for the site and one
 * per top-level category, drawn at build time. Products without photos use their category's.
 */
export async function getStaticPaths() {
  // Drawn once by the full build; a product's change does not redraw a category's share card.
  if (isPartialBuild) return [];
  const roots = (await allCategories()).filter((category) => category.path.length === 1);
  return [
    { params: { name: 'default' }, props: { title: 'OPOP Jawa Timur', subtitle: 'Produk pesantren, santri, dan alumni' } },
    ...roots.map((category) => ({ params: { name: category.slug }, props: { title: category.name.indonesian, subtitle: 'OPOP Jawa Timur' } })),
  ];
}

const escape = (text: string) => text.replace(/[&<>"]/g, (char) => `&#${char.charCodeAt(0)};`);

export const GET: APIRoute = async ({ props }) => {
  const { title, subtitle } = props as { title: string; subtitle: string };
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">
  <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#0b5d3b"/><stop offset="1" stop-color="#07412a"/></linearGradient></defs>
  <rect width="1200" height="630" fill="url(#g)"/>
  <text x="80" y="300" font-family="DejaVu Sans, sans-serif" font-size="72" font-weight="700" fill="#fff">${escape(title)}</text>
  <text x="80" y="380" font-family="DejaVu Sans, sans-serif" font-size="36" fill="#ffe08a">${escape(subtitle)}</text>
</svg>`;
  const png = await sharp(Buffer.from(svg)).png({ compressionLevel: 9 }).toBuffer();
  return new Response(new Uint8Array(png), { headers: { 'content-type': 'image/png' } });
};
