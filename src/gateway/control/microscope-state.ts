import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { AcquisitionService } from '../../acquisition/service/acquisition.service';
import { HardwareService } from '../../hardware/hardware.service';
import { MicroscopeBusyError, UnknownDeviceError } from './hardware-errors';

/** Checks shared by the control endpoints: the device exists, no acquisition owns the microscope. */
@Injectable()
export class MicroscopeState implements OnModuleDestroy {
  private acquiring = false;
  private readonly subscription: Subscription;

  constructor(
    private readonly hardware: HardwareService,
    acquisitions: AcquisitionService,
  ) {
    this.subscription = acquisitions.running$.subscribe((running) => (this.acquiring = running));
  }

  onModuleDestroy(): void {
    this.subscription.unsubscribe();
  }

  requireDevice(label: string): void {
    if (!this.hardware.devices().some((d) => d.label === label)) {
      const known = this.hardware.devices().map((d) => d.label);
      throw new UnknownDeviceError(`label: no device "${label}" (devices: ${known.join(', ') || 'none loaded yet'})`);
    }
  }

  requireIdle(what: string): void {
    if (this.acquiring)
      throw new MicroscopeBusyError(`${what} refused: an acquisition is running (pause does not release the stage; cancel it first)`);
  }
}
