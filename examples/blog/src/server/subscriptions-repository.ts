export interface Subscription {
  readonly name: string;
  readonly email: string;
  readonly subscribedAt: string;
}

/** Newsletter subscribers. In memory for now; the database issue brings a persistent one. */
export interface SubscriptionsRepository {
  /** 'exists' when the address is already subscribed (compared case-insensitively). */
  add(subscription: Omit<Subscription, 'subscribedAt'>): Promise<'added' | 'exists'>;
  count(): Promise<number>;
}

export function createInMemorySubscriptionsRepository(now: () => Date = () => new Date()): SubscriptionsRepository {
  const byEmail = new Map<string, Subscription>();
  return {
    async add({ name, email }) {
      const key = email.toLowerCase();
      if (byEmail.has(key)) return 'exists';
      byEmail.set(key, Object.freeze({ name, email, subscribedAt: now().toISOString() }));
      return 'added';
    },
    async count() {
      return byEmail.size;
    },
  };
}
