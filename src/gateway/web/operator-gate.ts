/// <reference lib="dom" />

const GATED = '.operator-only button, .operator-only input, .operator-only select, .operator-only textarea';

export const VIEWER_REASON = 'operators only: you are signed in as a viewer';

let currentRole = '';

/**
 * A viewer sees every control, disabled, with the reason as its title; an operator gets back only what this gate
 * disabled (a control its panel disabled for its own reason stays so).
 */
export function applyRole(role: string): void {
  currentRole = role;
  const viewer = role === 'viewer';
  document.body.classList.toggle('viewer', viewer);
  for (const control of Array.from(document.querySelectorAll<HTMLButtonElement | HTMLInputElement>(GATED))) {
    if (viewer) {
      if (control.dataset.gated === undefined) {
        control.dataset.gated = control.disabled ? 'was-disabled' : 'viewer';
        control.dataset.ownTitle = control.title;
      }
      control.disabled = true;
      control.title = VIEWER_REASON;
    } else if (control.dataset.gated !== undefined) {
      control.disabled = control.dataset.gated === 'was-disabled';
      control.title = control.dataset.ownTitle ?? '';
      delete control.dataset.gated;
      delete control.dataset.ownTitle;
    }
  }
  for (const note of Array.from(document.querySelectorAll<HTMLElement>('.viewer-note'))) note.hidden = !viewer;
}

/** For controls a panel adds after the role is known. */
export const reapplyRole = (): void => applyRole(currentRole);
