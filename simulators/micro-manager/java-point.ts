/** java.awt.geom.Point2D$Double, what getXYStagePosition returns: public double fields x and y. */
import { JavaServerError } from './java-errors';
import { javaDoubleToString } from './java-json';
import { recordedListing } from './java-listings';
import { makeRemoteObject } from './remote-object';
import { NONE, double, primitive, remote, string, type RemoteObject } from './remote-values';

const points = new WeakMap<RemoteObject, { x: number; y: number }>();

export function point2D(xUm: number, yUm: number): RemoteObject {
  const p = { x: xUm, y: yUm };
  const numberField = (name: 'x' | 'y') => ({
    get: () => double(p[name]),
    set: (value: unknown) => {
      if (typeof value !== 'number') {
        throw new JavaServerError(
          'java.lang.IllegalArgumentException',
          `Can not set double field java.awt.geom.Point2D$Double.${name} to a non-number`,
          'setField',
        );
      }
      p[name] = value;
    },
  });
  const other = (arg: unknown) => points.get(arg as RemoteObject) ?? { x: NaN, y: NaN };
  const object = makeRemoteObject({
    listing: recordedListing('java.awt.geom.Point2D$Double'),
    methods: {
      'getX()': () => double(p.x),
      'getY()': () => double(p.y),
      'setLocation(double,double)': ([x, y]) => {
        p.x = Number(x);
        p.y = Number(y);
        return NONE;
      },
      'setLocation(java.awt.geom.Point2D)': ([q]) => {
        Object.assign(p, other(q));
        return NONE;
      },
      'distance(double,double)': ([x, y]) => double(Math.hypot(p.x - Number(x), p.y - Number(y))),
      'distance(java.awt.geom.Point2D)': ([q]) => double(Math.hypot(p.x - other(q).x, p.y - other(q).y)),
      'distanceSq(double,double)': ([x, y]) => double((p.x - Number(x)) ** 2 + (p.y - Number(y)) ** 2),
      'equals(java.lang.Object)': ([q]) => primitive(other(q).x === p.x && other(q).y === p.y),
      'clone()': () => remote(point2D(p.x, p.y)),
      'toString()': () => string(`Point2D.Double[${javaDoubleToString(p.x)}, ${javaDoubleToString(p.y)}]`),
    },
    fields: { x: numberField('x'), y: numberField('y') },
  });
  points.set(object, p);
  return object;
}
