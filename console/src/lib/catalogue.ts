import type { ConsoleProductChoicesQuery } from '../generated/operations.ts';
import type { Bilingual } from './i18n.ts';

/** Categories as one list of choices, children after their parent ("Makanan › Keripik"). */
export function categoryChoices(categories: ConsoleProductChoicesQuery['categories']): { slug: string; label: Bilingual }[] {
  const name = (n: { indonesian: string; english: string | null }) => ({ id: n.indonesian, en: n.english ?? n.indonesian });
  return categories.flatMap((root) => [
    { slug: root.slug, label: name(root.name) },
    ...root.children.map((child) => ({ slug: child.slug, label: { id: `${root.name.indonesian} › ${child.name.indonesian}`, en: `${root.name.english ?? root.name.indonesian} › ${child.name.english ?? child.name.indonesian}` } })),
  ]);
}
