import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** A private Marked instance: no global options another module could change. */
const marked = new Marked({ gfm: true, breaks: false, async: false });

/** Markdown to HTML that is safe to insert into a page: no scripts, styles, iframes or event handlers. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown) as string;
  return sanitizeHtml(html, {
    allowedTags: ['p', 'br', 'strong', 'em', 'b', 'i', 'a', 'ul', 'ol', 'li', 'blockquote', 'h2', 'h3', 'h4', 'code', 'pre', 'hr'],
    allowedAttributes: { a: ['href', 'title', 'rel'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    transformTags: { a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow noopener noreferrer' }) },
  }).trim();
}
