/**
 * MMCore's system-state cache: the last value of each device property as the core knows it. It is refreshed
 * wholesale by updateSystemStateCache (after loading a configuration) and otherwise only records what goes
 * through the core (setProperty with the text as given, setExposure as "%.2f", setState, setShutterOpen); a
 * stage move or a label change behind the core's back leaves it stale, exactly like the real one. Image tags
 * ("Camera-Exposure", "Z-Position", …) come from here.
 */
export class SystemStateCache {
  private readonly settings = new Map<string, { readonly device: string; readonly property: string; value: string }>();

  private static key(device: string, property: string): string {
    return `${device}\u0000${property}`;
  }

  set(device: string, property: string, value: string): void {
    const existing = this.settings.get(SystemStateCache.key(device, property));
    if (existing) existing.value = value;
    else this.settings.set(SystemStateCache.key(device, property), { device, property, value });
  }

  get(device: string, property: string): string | undefined {
    return this.settings.get(SystemStateCache.key(device, property))?.value;
  }

  clear(): void {
    this.settings.clear();
  }

  /** Settings in the Configuration's order: device order at the last refresh, properties by name, then later additions. */
  entries(): Array<{ readonly device: string; readonly property: string; readonly value: string }> {
    return [...this.settings.values()];
  }
}
