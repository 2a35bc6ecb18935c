import { boundedText } from '@opop/identifiers';

/** What a widget key is for (the site that embeds the widgets). */
export const outletKeyLabel = boundedText(2, 80);
