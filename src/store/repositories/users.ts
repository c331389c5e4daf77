import type { Kysely } from 'kysely';
import { notFound } from '../../domain/errors.ts';
import type { Role } from '../../domain/roles.ts';
import type { Clock } from '../../platform/clock.ts';
import { generateCredential, hashToken } from '../../platform/secrets.ts';
import type { Actor } from '../actor.ts';
import { newId } from '../ids.ts';
import { mapConstraintError, toIso } from '../rows.ts';
import type { Database, UserTable } from '../schema.ts';
import type { AuditLog } from './audit.ts';

export interface User {
  id: string;
  name: string;
  role: Role;
  phone: string | null;
  createdAt: string;
  disabledAt: string | null;
}

export interface Principal {
  userId: string;
  name: string;
  role: Role;
}

const toUser = (r: UserTable): User => ({
  id: r.id,
  name: r.name,
  role: r.role as Role,
  phone: r.phone,
  createdAt: toIso(r.created_at) as string,
  disabledAt: toIso(r.disabled_at),
});

/** Staff accounts and their bearer tokens (stored as hashes, shown once). */
export class UserRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly audit: AuditLog,
    private readonly clock: Clock,
  ) {}

  /** Creates a user and its first token; the token is returned here and never again. */
  async create(
    actor: Actor,
    input: { name: string; role: Role; phone?: string | undefined; passwordHash?: string | undefined },
  ): Promise<{ user: User; token: string }> {
    const id = newId('usr');
    const token = generateCredential('cnt');
    const now = this.clock.now();
    try {
      await this.db.transaction().execute(async (trx) => {
        await trx
          .insertInto('users')
          .values({
            id,
            name: input.name,
            role: input.role,
            phone: input.phone ?? null,
            password_hash: input.passwordHash ?? null,
            created_at: now,
            disabled_at: null,
          })
          .execute();
        await trx
          .insertInto('api_tokens')
          .values({ id: newId('tok'), user_id: id, token_hash: hashToken(token), created_at: now, revoked_at: null })
          .execute();
        await this.audit.append(trx, actor, { action: 'create', recordType: 'user', recordId: id, detail: { role: input.role } });
      });
    } catch (err) {
      mapConstraintError(err, 'user', input.name);
    }
    return { user: await this.require(id), token };
  }

  async list(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('name').execute()).map(toUser);
  }

  async require(id: string): Promise<User> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw notFound('user', id);
    return toUser(row);
  }

  async findByName(name: string): Promise<(User & { passwordHash: string | null }) | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('name', '=', name).executeTakeFirst();
    return row ? { ...toUser(row), passwordHash: row.password_hash } : undefined;
  }

  /** Users with a phone, by role: who may acknowledge an alarm by SMS reply. */
  async findByPhone(phone: string): Promise<User | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('phone', '=', phone)
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    return row ? toUser(row) : undefined;
  }

  /** Resolves a bearer token on every request: revocation takes effect at once. */
  async authenticate(token: string): Promise<Principal | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .innerJoin('users', 'users.id', 'api_tokens.user_id')
      .select(['users.id as userId', 'users.name as name', 'users.role as role'])
      .where('api_tokens.token_hash', '=', hashToken(token))
      .where('api_tokens.revoked_at', 'is', null)
      .where('users.disabled_at', 'is', null)
      .executeTakeFirst();
    return row ? { userId: row.userId, name: row.name, role: row.role as Role } : undefined;
  }

  async issueToken(actor: Actor, userId: string): Promise<string> {
    await this.require(userId);
    const token = generateCredential('cnt');
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('api_tokens')
        .values({ id: newId('tok'), user_id: userId, token_hash: hashToken(token), created_at: this.clock.now(), revoked_at: null })
        .execute();
      await this.audit.append(trx, actor, { action: 'issue_token', recordType: 'user', recordId: userId });
    });
    return token;
  }

  /** Revokes every token of a user (staff turnover): the next request with any of them fails. */
  async revokeTokens(actor: Actor, userId: string): Promise<number> {
    await this.require(userId);
    return this.db.transaction().execute(async (trx) => {
      const res = await trx
        .updateTable('api_tokens')
        .set({ revoked_at: this.clock.now() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      await this.audit.append(trx, actor, { action: 'revoke_tokens', recordType: 'user', recordId: userId });
      return Number(res.numUpdatedRows);
    });
  }

  async setPassword(actor: Actor, userId: string, passwordHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('user', userId);
      await this.audit.append(trx, actor, { action: 'set_password', recordType: 'user', recordId: userId });
    });
  }

  async disable(actor: Actor, userId: string): Promise<User> {
    await this.db.transaction().execute(async (trx) => {
      const res = await trx.updateTable('users').set({ disabled_at: this.clock.now() }).where('id', '=', userId).executeTakeFirst();
      if (Number(res.numUpdatedRows) === 0) throw notFound('user', userId);
      await trx
        .updateTable('api_tokens')
        .set({ revoked_at: this.clock.now() })
        .where('user_id', '=', userId)
        .where('revoked_at', 'is', null)
        .execute();
      await this.audit.append(trx, actor, { action: 'disable', recordType: 'user', recordId: userId });
    });
    return this.require(userId);
  }

  /** A new role or phone; the role applies from the person's next request (it is read on each). */
  async update(actor: Actor, userId: string, patch: { role?: Role | undefined; phone?: string | null | undefined }): Promise<User> {
    const set: Partial<UserTable> = {};
    if (patch.role !== undefined) set.role = patch.role;
    if (patch.phone !== undefined) set.phone = patch.phone;
    await this.db.transaction().execute(async (trx) => {
      const exists = await trx.selectFrom('users').select('id').where('id', '=', userId).executeTakeFirst();
      if (!exists) throw notFound('user', userId);
      if (Object.keys(set).length > 0) await trx.updateTable('users').set(set).where('id', '=', userId).execute();
      await this.audit.append(trx, actor, {
        action: 'update',
        recordType: 'user',
        recordId: userId,
        detail: { fields: Object.keys(set), ...(patch.role ? { role: patch.role } : {}) },
      });
    });
    return this.require(userId);
  }
}
