import { Injectable, Logger } from '@nestjs/common';
import { AcquisitionNotFoundError, AcquisitionService } from '../../acquisition/service/acquisition.service';
import { HardwareService } from '../../hardware/hardware.service';
import type { Principal } from '../security/principal';
import type { ControlMessage, ControlReply } from './client-control';

/** What an operator's socket may ask for; the same services the REST controllers call. */
@Injectable()
export class SocketControls {
  private readonly logger = new Logger('SocketControls');

  constructor(
    private readonly acquisitions: AcquisitionService,
    private readonly hardware: HardwareService,
  ) {}

  async run(message: ControlMessage, principal: Principal): Promise<ControlReply> {
    this.logger.log({ msg: `control ${message.action}`, client: principal.name });
    try {
      switch (message.action) {
        case 'acquisition.pause':
          this.acquisitions.get(message.acquisitionId).pause();
          return { ok: true, result: this.acquisitions.status(message.acquisitionId) };
        case 'acquisition.resume':
          this.acquisitions.get(message.acquisitionId).resume();
          return { ok: true, result: this.acquisitions.status(message.acquisitionId) };
        case 'acquisition.cancel':
          this.acquisitions.get(message.acquisitionId).cancel();
          return { ok: true, result: this.acquisitions.status(message.acquisitionId) };
        case 'light.allOff': {
          const light = this.hardware.light();
          if (!light) return { ok: false, status: 503, message: 'no light source is configured' };
          await light.allOff(`socket ${principal.name}`);
          return { ok: true };
        }
      }
    } catch (err) {
      if (err instanceof AcquisitionNotFoundError) return { ok: false, status: 404, message: `acquisitionId: ${err.message}` };
      return { ok: false, status: 500, message: (err as Error).message };
    }
  }
}
