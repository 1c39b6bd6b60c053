export default function () {
  const hanoi = (n, from, to, via, moves = []) => {
    if (n === 0) return moves;
    hanoi(n - 1, from, via, to, moves);
    moves.push(`${from}${to}`);
    hanoi(n - 1, via, to, from, moves);
    return moves;
  };
  console.log(hanoi(4, 'A', 'C', 'B').join(' '));
  const perms = (xs) =>
    xs.length <= 1 ? [xs] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
  console.log(
    perms([1, 2, 3])
      .map((p) => p.join(''))
      .join(','),
  );
  const ack = (m, n) => (m === 0 ? n + 1 : n === 0 ? ack(m - 1, 1) : ack(m - 1, ack(m, n - 1)));
  console.log(ack(2, 3));
}
