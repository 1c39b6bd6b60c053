// A small element builder: the page has few enough nodes that no framework is needed.

type Child = Node | string;

/** Creates an element with attributes and children. */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Record<string, string> = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) element.setAttribute(name, value);
  element.append(...children);
  return element;
}

const errorArea = (): HTMLElement => document.getElementById('error')!;

/** Shows an error to the user in the page's alert area. */
export function showError(message: string): void {
  errorArea().textContent = message;
  errorArea().hidden = false;
}

export function clearError(): void {
  errorArea().textContent = '';
  errorArea().hidden = true;
}
