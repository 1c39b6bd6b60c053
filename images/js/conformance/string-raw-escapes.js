export default function () {
  const s = 'tab\there\nnew\\slash\u00e9\x41\0end';
  console.log(JSON.stringify(s), s.length);
  console.log('\u{1F600}'.length, '\u{41}', String.raw`\u{41}`);
  console.log(
    'line1\
line2',
  );
}
