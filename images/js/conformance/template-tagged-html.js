const escapes = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' };
function html(strings, ...values) {
  let out = strings[0];
  values.forEach((v, i) => {
    out += String(v).replace(/[<>&"]/g, (c) => escapes[c]) + strings[i + 1];
  });
  return out;
}

export default function () {
  const user = '<script>alert("x")</script> & co';
  console.log(html`<p title="${'a"b'}">${user}</p>`);
  console.log(html`${1}${2}${3}`);
}
