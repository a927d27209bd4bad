/**
 * The few names of frameworks the package does not depend on that the docs' snippets use, so
 * that test/docs/snippets.mjs checks the snippets' use of this package without installing Vue
 * or Angular. Signatures as those frameworks declare them, narrowed to what the snippets call.
 */
declare module 'vue' {
  export interface ShallowRef<T> {
    value: T;
  }
  export function shallowRef<T>(value: T): ShallowRef<T>;
}

declare module '@angular/core' {
  export interface WritableSignal<T> {
    (): T;
    set(value: T): void;
  }
  export function signal<T>(initialValue: T): WritableSignal<T>;
  export function Injectable(options?: {
    providedIn?: 'root' | 'platform' | 'any' | null;
  }): <T extends abstract new (...args: never[]) => unknown>(
    target: T,
    context: ClassDecoratorContext<T>,
  ) => void;
}
