export default function () {
  const s = 'the cat sat on the mat';
  const idx = [];
  let i = -1;
  while ((i = s.indexOf('at', i + 1)) !== -1) idx.push(i);
  console.log(idx.join(','));
  console.log(s.lastIndexOf('the'), s.lastIndexOf('the', 10), s.indexOf(''), s.lastIndexOf(''), s.search('sat'));
  console.log(s.match(/\b\w/g).join(''), s.split(' ', 2).join('|'));
}
