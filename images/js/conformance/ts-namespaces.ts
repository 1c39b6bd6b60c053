// eslint-disable-next-line @typescript-eslint/no-namespace
namespace Geometry {
  export const origin = { x: 0, y: 0 };
  export function dist(a: { x: number; y: number }, b = origin): number {
    return Math.hypot(a.x - b.x, a.y - b.y);
  }
  // eslint-disable-next-line @typescript-eslint/no-namespace
  export namespace Units {
    export const scale = 2;
  }
}

export default function (): void {
  console.log(Geometry.dist({ x: 3, y: 4 }), Geometry.Units.scale, Object.keys(Geometry).join(','));
}
