import type { CommandSpec } from './CommandGrammar.ts';
import type { Grammar } from './ConfigEditor.ts';

/** Where a command failed, for the vendor's error text. */
export interface ErrorSite {
  /** Column of the offending word counted from the start of the prompt line (caret column). */
  caretColumn: number;
  /** The offending word, for messages that quote it. */
  word: string;
  /** 1-based position of the word. */
  wordNumber: number;
  /** The mode the line was entered in. */
  where: 'exec' | 'config';
  /** The whole line as entered. */
  line: string;
}

/** What differs between IOS, NX-OS and EOS in the shared command-line engine. */
export interface CliDialect {
  readonly grammar: Grammar;
  readonly execSpecs: readonly CommandSpec[];
  /** Text inside the parentheses of a config prompt, e.g. `config-if` or EOS `config-if-Et1`. */
  modeLabel(mode: string, blockText: string | undefined): string;
  /** Appended to every prompt: `' '` for NX-OS, none for IOS and EOS. */
  readonly promptSuffix: string;
  readonly pagerPrompt: string;
  readonly defaultPageLines: number;
  /** Printed after `configure terminal`. */
  readonly enterConfigMessage: string;
  invalid(site: ErrorSite): string;
  incomplete(site: Omit<ErrorSite, 'word' | 'wordNumber'>): string;
  ambiguous(site: ErrorSite): string;
  /** Config mode also runs `show ...` without `do` (NX-OS, EOS). */
  readonly showInConfig: boolean;
}
