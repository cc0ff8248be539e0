import { Inject, Logger, type OnModuleDestroy } from '@nestjs/common';
import { WebSocketGateway, type OnGatewayConnection, type OnGatewayDisconnect, type OnGatewayInit } from '@nestjs/websockets';
import type { Server, Socket } from 'socket.io';
import type { Subscription } from 'rxjs';
import { SCOPE_CONFIG } from '../../config/config.module';
import type { GatewaySettings } from '../server.config';
import { SecurityService, statusFor } from '../security/security';
import { AuditLog } from '../audit/audit-log';
import { auditSocketControl } from '../audit/socket-audit';
import type { Principal } from '../security/principal';
import { bearerToken } from '../security/token-authenticator';
import { controlMessageSchema, describeIssues, viewMessageSchema, type ControlReply } from './client-control';
import { SocketControls } from './socket-controls';
import { ImageMessageCache } from './image-message';
import { SocketClient } from './socket-client';
import { StreamsRegistry } from './streams.registry';

type Reply = (reply: ControlReply) => void;

/**
 * Forwards every registered stream to every admitted socket: images as 8-bit binary previews ('frame'), records
 * as small JSON batches ('records'), the catalog ('streams') whenever it changes. Sockets are admitted by the
 * same SecurityService as HTTP requests (token in the handshake); controls need the operator role.
 */
@WebSocketGateway({ cors: false })
export class StreamsGateway implements OnGatewayInit, OnGatewayConnection, OnGatewayDisconnect, OnModuleDestroy {
  private readonly logger = new Logger('StreamsGateway');
  private readonly clients = new Map<string, SocketClient>();
  private readonly messages = new ImageMessageCache();
  private catalogSubscription?: Subscription;

  constructor(
    private readonly registry: StreamsRegistry,
    private readonly security: SecurityService,
    private readonly controls: SocketControls,
    private readonly audit: AuditLog,
    @Inject(SCOPE_CONFIG) private readonly config: GatewaySettings,
  ) {}

  afterInit(server: Server): void {
    server.use((socket, next) => {
      const { handshake } = socket;
      const authToken = (handshake.auth as { token?: unknown } | undefined)?.token;
      try {
        const principal = this.security.admit({
          token: typeof authToken === 'string' ? authToken : bearerToken(handshake.headers.authorization),
          remoteAddress: handshake.address,
          origin: handshake.headers.origin,
          host: handshake.headers.host,
          need: 'viewer',
          what: 'socket connection',
        });
        socket.data.principal = principal;
        next();
      } catch (err) {
        const status = statusFor(err);
        const refusal = new Error(status ? `${status}: ${(err as Error).message}` : 'refused') as Error & { data?: unknown };
        refusal.data = { status: status ?? 500 };
        next(refusal);
      }
    });
    this.catalogSubscription = this.registry.catalog$.subscribe((catalog) => {
      for (const client of this.clients.values()) {
        client.sync(this.registry.imageStreams(), this.registry.recordStreams());
        client.socket.emit('streams', catalog);
      }
    });
  }

  handleConnection(socket: Socket): void {
    const principal = socket.data.principal as Principal | undefined;
    if (!principal) {
      socket.disconnect(true);
      return;
    }
    const client = new SocketClient(socket, principal, this.config.live.previewMaxSizePx, this.messages);
    this.clients.set(socket.id, client);
    socket.emit('hello', { role: principal.role, name: principal.name });
    socket.emit('streams', this.registry.catalog());
    socket.on('view', (message: unknown, reply?: Reply) => this.onView(client, message, reply));
    socket.on('control', (message: unknown, reply?: Reply) => void this.onControl(client, message, reply));
    client.sync(this.registry.imageStreams(), this.registry.recordStreams());
    this.logger.log({ msg: 'stream client connected', client: principal.name, socket: socket.id, clients: this.clients.size });
  }

  handleDisconnect(socket: Socket): void {
    const client = this.clients.get(socket.id);
    if (!client) return;
    this.clients.delete(socket.id);
    const streams = client.close();
    this.logger.log({ msg: 'stream client left', client: client.principal.name, socket: socket.id, streams });
  }

  async onModuleDestroy(): Promise<void> {
    this.catalogSubscription?.unsubscribe();
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
    await this.messages.close();
  }

  private onView(client: SocketClient, message: unknown, reply?: Reply): void {
    try {
      this.security.admitMessage(client.principal, 'viewer', 'socket view');
    } catch (err) {
      return safeReply(reply, { ok: false, status: statusFor(err) ?? 500, message: (err as Error).message });
    }
    const parsed = viewMessageSchema.safeParse(message);
    if (!parsed.success) return safeReply(reply, { ok: false, status: 400, message: describeIssues(parsed.error) });
    client.maxSizePx = Math.min(parsed.data.maxSizePx, this.config.live.previewMaxSizePx);
    safeReply(reply, { ok: true, result: { maxSizePx: client.maxSizePx } });
  }

  /** Every control message is audited with its answer, refused and invalid ones included. */
  private async onControl(client: SocketClient, message: unknown, reply?: Reply): Promise<void> {
    const at = new Date();
    const answer = await this.answerControl(client, message);
    auditSocketControl(this.audit, client.principal, client.socket.handshake.address, message, answer, at);
    safeReply(reply, answer);
  }

  private async answerControl(client: SocketClient, message: unknown): Promise<ControlReply> {
    try {
      this.security.admitMessage(client.principal, 'operator', 'socket control');
    } catch (err) {
      return { ok: false, status: statusFor(err) ?? 500, message: (err as Error).message };
    }
    const parsed = controlMessageSchema.safeParse(message);
    if (!parsed.success) return { ok: false, status: 400, message: describeIssues(parsed.error) };
    return this.controls.run(parsed.data, client.principal);
  }
}

function safeReply(reply: Reply | undefined, answer: ControlReply): void {
  if (typeof reply === 'function') reply(answer);
}
