export default function () {
  const primes = [];
  const sieve = new Uint8Array(200);
  for (let i = 2; i < 200; i++) {
    if (sieve[i]) continue;
    primes.push(i);
    for (let j = i * i; j < 200; j += i) sieve[j] = 1;
  }
  console.log(primes.length, primes.slice(-5).join(','));
  const gcd = (a, b) => (b ? gcd(b, a % b) : a);
  console.log(gcd(1071, 462), gcd(17, 5));
  const bin = (arr, x) => {
    let lo = 0;
    let hi = arr.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (arr[mid] === x) return mid;
      if (arr[mid] < x) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  console.log(bin(primes, 97), bin(primes, 98));
  let h = 0;
  for (const c of 'hash me please') h = (Math.imul(h, 31) + c.charCodeAt(0)) | 0;
  console.log(h, (h >>> 0).toString(16));
}
