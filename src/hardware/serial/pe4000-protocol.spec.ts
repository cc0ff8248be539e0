import { ReplyFormatError } from './line-command';
import { parseStatusLine, pe4000 } from './pe4000-protocol';
import { restorePlan, type Pe4000Snapshot } from './restore-plan';

describe('the pE-4000 command set', () => {
  it('parses a CSS status line into four channels', () => {
    expect(parseStatusLine('CSSASN050BXF000CSF100DSN007')).toEqual([
      { index: 0, letter: 'A', selected: true, on: true, intensityPercent: 50 },
      { index: 1, letter: 'B', selected: false, on: false, intensityPercent: 0 },
      { index: 2, letter: 'C', selected: true, on: false, intensityPercent: 100 },
      { index: 3, letter: 'D', selected: true, on: true, intensityPercent: 7 },
    ]);
  });

  it('ignores expansion-box channels E–H after A–D', () => {
    expect(parseStatusLine('CSSASN050BXF000CSF100DSN007ESF010')).toHaveLength(4);
  });

  it.each([
    ['an intensity above 100', 'CSSASN150BXF000CSF100DSN007'],
    ['a missing channel', 'CSSASN050BXF000CSF100'],
    ['channels out of order', 'CSSBSN050AXF000CSF100DSN007'],
    ['a stray character', 'CSSASN05#BXF000CSF100DSN007'],
    ['a cut line', 'CSSASN050BX'],
  ])('rejects a status line with %s', (_what, line) => {
    expect(() => parseStatusLine(line)).toThrow(ReplyFormatError);
  });

  it('writes commands as the device expects them', () => {
    expect(pe4000.status().text).toBe('CSS?');
    expect(pe4000.setIntensity(2, 35).text).toBe('CCI35');
    expect(pe4000.allOn().text).toBe('CSN');
    expect(pe4000.allOff().text).toBe('CSF');
    expect(pe4000.select(3, false).text).toBe('CDX');
    expect(pe4000.intensity(0).text).toBe('CA?');
    expect(pe4000.loadWavelength(1, 470).text).toBe('LOAD:470');
    expect(pe4000.wavelengths().text).toBe('LAMS');
    expect(pe4000.model().text).toBe('XMODEL');
    expect(pe4000.versions().text).toBe('XVER');
    expect(pe4000.podEnabled(false).text).toBe('PORT:P=OFF');
    expect(pe4000.setChannels([{ letter: 'B', selected: true, on: true, intensityPercent: 5 }]).text).toBe('CSSBSN005');
  });

  it('expects no reply to channel selection', () => {
    expect(pe4000.select(1, true).replyLineCount).toBe(0);
    expect(pe4000.select(1, true).parse([])).toBeUndefined();
  });

  it("tells a command's own status line from an earlier one that arrived late", () => {
    const before = 'CSSASN000BSF000CSF000DSF000';
    expect(pe4000.setIntensity(0, 42).accepts(before, 0)).toBe(false);
    expect(pe4000.setIntensity(0, 42).accepts('CSSASN042BSF000CSF000DSF000', 0)).toBe(true);
    expect(pe4000.allOff().accepts(before, 0)).toBe(false);
    expect(pe4000.allOff().accepts('CSSASF000BSF000CSF000DSF000', 0)).toBe(true);
    expect(pe4000.setChannels([{ letter: 'C', selected: true, on: true, intensityPercent: 9 }]).accepts(before, 0)).toBe(false);
    expect(pe4000.status().accepts(before, 0)).toBe(true);
  });

  it('refuses to build commands the device cannot take', () => {
    expect(() => pe4000.setIntensity(0, 101)).toThrow(RangeError);
    expect(() => pe4000.setIntensity(0, 2.5)).toThrow(RangeError);
    expect(() => pe4000.setIntensity(4, 10)).toThrow(RangeError);
    expect(() => pe4000.loadWavelength(0, 470)).toThrow(/channel A carries 365, 385, 405, 435 nm/);
  });

  it('checks that LOAD is answered by the channel that carries the wavelength', () => {
    const load = pe4000.loadWavelength(2, 580);
    expect(load.accepts('LAM:C:580', 0)).toBe(true);
    expect(load.accepts('LAM:B:580', 0)).toBe(false);
    expect(load.parse(['LAM:C:580'])).toBe(580);
    expect(() => load.parse(['LAM:C:525'])).toThrow(ReplyFormatError);
  });

  it('reads the eight XVER lines in order', () => {
    const xver = pe4000.versions();
    const lines = ['XVER:MB=1.4', 'XVER:HW=C', 'XVER:DT=2', 'XVER:PD=1.1', 'XVER:BE_A=1', 'XVER:BE_B=2', 'XVER:BE_C=3', 'XVER:BE_D=4'];
    lines.forEach((l, i) => expect(xver.accepts(l, i)).toBe(true));
    expect(xver.accepts(lines[1], 0)).toBe(false);
    expect(xver.parse(lines)).toEqual({ mainboard: '1.4', hardware: 'C', data: '2', pod: '1.1', backends: ['1', '2', '3', '4'] });
  });

  it('plans a restore that goes dark first and sets all channels in one line', () => {
    const found: Pe4000Snapshot = { statuses: parseStatusLine('CSSASF000BSF000CSF000DSF000'), wavelengthsNm: [365, 460, 525, 635] };
    const target: Pe4000Snapshot = { statuses: parseStatusLine('CSSASN020BXF000CSF055DSN010'), wavelengthsNm: [405, 460, 525, 635] };
    expect(restorePlan(found, target).map((c) => c.text)).toEqual(['CSF', 'LOAD:405', 'CSSASN020BXF000CSF055DSN010']);
    expect(restorePlan(target, target)).toEqual([]);
  });
});
