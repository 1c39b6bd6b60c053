export default function () {
  const s = 'a😀é';
  console.log(s.length, s.codePointAt(1), s.codePointAt(2), s.charCodeAt(1), String.fromCodePoint(0x1f600) === '😀');
  console.log(JSON.stringify(s.split('')), [...s].length, Array.from(s).join('+'));
  console.log('é' === 'e\u0301', 'e\u0301'.normalize('NFC') === 'é', 'é'.normalize('NFD').length);
  console.log('ÄÖÜ straße'.toLowerCase(), 'straße'.toUpperCase(), 'İ'.toLowerCase().length);
  console.log(encodeURIComponent('a b&c/d?é😀'), decodeURIComponent('%F0%9F%98%80%20x'));
  console.log(encodeURI('http://x.y/a b?q=1&r=é#h'), escape === undefined ? '' : 'has escape');
}
