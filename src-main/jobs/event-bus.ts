// A typed publish/subscribe list. Listeners are isolated: one adapter throwing (a closed socket,
// a bug) must not stop the runner or the other adapters from seeing the event.
export class EventBus<E> {
  private readonly listeners = new Set<(event: E) => void>();

  constructor(private readonly onListenerError: (err: unknown) => void = () => {}) {}

  /** Subscribes; returns the unsubscribe function. */
  on(listener: (event: E) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: E): void {
    for (const l of [...this.listeners]) {
      try {
        l(event);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get size(): number {
    return this.listeners.size;
  }
}
