import type { EmailMessage, EmailSender, SendOptions, SendResult, SmsMessage, SmsSender } from "./types.ts";

/**
 * The local stand-in for providers: messages are written to a store
 * (a database table in the app, memory in tests) instead of being sent.
 * Like a provider, it is idempotent on the key.
 */
export interface OutboxEntry {
  channel: "email" | "sms";
  idempotencyKey: string;
  to: string;
  subject?: string;
  html?: string;
  text?: string;
  body?: string;
  createdAt: Date;
}

export interface OutboxStore {
  /** Stores the entry unless one with the same idempotency key exists; then returns that one's id. */
  put(entry: OutboxEntry): Promise<{ id: string; duplicate: boolean }>;
}

export interface StoredOutboxEntry extends OutboxEntry {
  id: string;
}

export class MemoryOutboxStore implements OutboxStore {
  readonly #byKey = new Map<string, StoredOutboxEntry>();

  async put(entry: OutboxEntry): Promise<{ id: string; duplicate: boolean }> {
    const existing = this.#byKey.get(entry.idempotencyKey);
    if (existing) return { id: existing.id, duplicate: true };
    const id = `outbox_${crypto.randomUUID()}`;
    this.#byKey.set(entry.idempotencyKey, { ...entry, id });
    return { id, duplicate: false };
  }

  /** Everything stored, oldest first. */
  entries(): StoredOutboxEntry[] {
    return [...this.#byKey.values()];
  }
}

type Clock = () => Date;

export class OutboxEmailSender implements EmailSender {
  constructor(
    private readonly store: OutboxStore,
    private readonly now: Clock = () => new Date(),
  ) {}

  async send(msg: EmailMessage, opts: SendOptions): Promise<SendResult> {
    const { id } = await this.store.put({
      channel: "email",
      idempotencyKey: opts.idempotencyKey,
      to: msg.to,
      subject: msg.subject,
      html: msg.html,
      text: msg.text,
      createdAt: this.now(),
    });
    return { providerId: id, provider: "outbox" };
  }
}

export class OutboxSmsSender implements SmsSender {
  constructor(
    private readonly store: OutboxStore,
    private readonly now: Clock = () => new Date(),
  ) {}

  async send(msg: SmsMessage, opts: SendOptions): Promise<SendResult> {
    const { id } = await this.store.put({
      channel: "sms",
      idempotencyKey: opts.idempotencyKey,
      to: msg.to,
      body: msg.body,
      createdAt: this.now(),
    });
    return { providerId: id, provider: "outbox" };
  }
}
