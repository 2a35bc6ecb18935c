/** The most of one product an order request may ask for (the catalogue's MAX_LINE_QUANTITY). */
export const MAX_LINE_QUANTITY = 50;
