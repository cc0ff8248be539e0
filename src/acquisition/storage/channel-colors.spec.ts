import { channelColor, omeColor } from './channel-colors';

describe('channel colours', () => {
  it.each([
    ['DAPI', '0000FF'],
    ['Hoechst 33342', '0000FF'],
    ['GFP', '00FF00'],
    ['Cy2', '00FF00'],
    ['Cy3', 'FF8000'],
    ['TRITC', 'FF8000'],
    ['mCherry', 'FF0000'],
    ['RFP', 'FF0000'],
    ['Cy5', 'FF00FF'],
    ['Cy5.5', 'FF00FF'],
    ['Far Red', 'FF00FF'],
    ['Alexa Fluor 647', 'FF00FF'],
    ['405', '0000FF'],
    ['Laser 488nm', '00FF00'],
    ['561', 'FF8000'],
    ['640-nm line', 'FF00FF'],
    ['Brightfield', 'FFFFFF'],
  ])('derives %s from its name as %s', (name, color) => {
    expect(channelColor(name, {}, 0)).toBe(color);
  });

  it('uses the palette by index only when nothing is known', () => {
    expect([0, 1, 2].map((c) => channelColor('Channel X', {}, c))).toEqual(['00FF00', 'FF00FF', '00FFFF']);
  });

  it("packs RRGGBB as OME's signed RGBA integer", () => {
    expect(omeColor('0000FF')).toBe(0x0000ffff);
    expect(omeColor('FF0000')).toBe(0xff0000ff - 2 ** 32);
  });
});
