import { DialogState } from '../dialogs/state.js';
import type { PersonalDataCipher } from './cipher.js';

/** The stored form of a dialog state: the whole JSON sealed, since it holds the ID number, name and address captured so far. */
export type SealedDialogState = { sealed: string };

export function sealDialogState(state: DialogState, cipher: PersonalDataCipher): SealedDialogState {
  return { sealed: cipher.encrypt(JSON.stringify(state)) };
}

/**
 * A dialog state from its stored form (or a plain one written before states were sealed). A state that cannot be
 * read (damaged, from an older version, sealed with another key) gives undefined: the dialog restarts with a safe
 * prompt rather than failing the turn.
 */
export function openDialogState(stored: unknown, cipher: PersonalDataCipher): DialogState | undefined {
  let value = stored;
  if (value && typeof value === 'object' && typeof (value as SealedDialogState).sealed === 'string') {
    try {
      value = JSON.parse(cipher.decrypt((value as SealedDialogState).sealed));
    } catch {
      return undefined;
    }
  }
  const parsed = DialogState.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
