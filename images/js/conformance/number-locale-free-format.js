function fmt(n) {
  const [int, frac] = Math.abs(n).toFixed(2).split('.');
  return `${n < 0 ? '-' : ''}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${frac}`;
}

export default function () {
  console.log([0, 1234.5, -9876543.219, 1e9, 0.005].map(fmt).join(' | '));
}
