import { FIELD_CHECKS, isCheckedField } from '../lib/product-checks.ts';

/**
 * Checks the product form's fields as the operator types, with the rules the server applies on
 * save (lib/product-checks.ts), so a mistyped permit number is said on its field before the form
 * is sent. A field is judged when the operator leaves it and, from then on, at every keystroke: a
 * fix is acknowledged at once, and a number half typed is never called wrong. The form still
 * works without this script; the server checks everything again.
 */
const lang = document.documentElement.lang === 'en' ? 'en' : 'id';

for (const form of document.querySelectorAll<HTMLFormElement>('form[data-live-check]')) {
  const judged = new WeakSet<Element>();
  // One polite announcement for screen readers: the message appears on the field, out of focus.
  const announcer = document.createElement('p');
  announcer.className = 'visually-hidden';
  announcer.setAttribute('aria-live', 'polite');
  form.append(announcer);

  const fieldOf = (target: EventTarget | null) =>
    (target instanceof HTMLInputElement || target instanceof HTMLTextAreaElement) && isCheckedField(target.name) ? target : null;

  const judge = (field: HTMLInputElement | HTMLTextAreaElement, announce: boolean) => {
    if (!isCheckedField(field.name)) return;
    const problem = FIELD_CHECKS[field.name](field.value);
    const messageId = `${field.id}-error`;
    const describedBy = new Set((field.getAttribute('aria-describedby') ?? '').split(' ').filter(Boolean));
    let message = document.getElementById(messageId);
    if (problem) {
      if (!message) {
        message = document.createElement('p');
        message.className = 'field-error';
        message.id = messageId;
        field.insertAdjacentElement('afterend', message);
      }
      const wasInvalid = field.getAttribute('aria-invalid') === 'true' && message.textContent === problem[lang];
      message.textContent = problem[lang];
      field.setAttribute('aria-invalid', 'true');
      describedBy.add(messageId);
      // Said out of focus, so it names its field: "Nomor sertifikat halal: Ada 3 angka setelah ID; seharusnya 17."
      const label = field.labels?.[0]?.textContent?.trim();
      if (announce && !wasInvalid) announcer.textContent = label ? `${label}: ${problem[lang]}` : problem[lang];
    } else {
      message?.remove();
      field.removeAttribute('aria-invalid');
      describedBy.delete(messageId);
    }
    if (describedBy.size > 0) field.setAttribute('aria-describedby', [...describedBy].join(' '));
    else field.removeAttribute('aria-describedby');
  };

  // Fields the server already refused are judged from the start.
  for (const field of form.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('[aria-invalid="true"]')) judged.add(field);

  form.addEventListener('focusout', (event) => {
    const field = fieldOf(event.target);
    // An empty field left untouched is not judged: tabbing through the form is not an error.
    if (!field || (field.value === '' && !judged.has(field))) return;
    judged.add(field);
    judge(field, true);
  });
  form.addEventListener('input', (event) => {
    const field = fieldOf(event.target);
    if (field && judged.has(field)) judge(field, false);
  });
}
