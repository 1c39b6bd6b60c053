export default function () {
  const v = JSON.parse('{"a":[1,2.5e3,-0.5,true,false,null],"b":{"c":"\\u0041\\n"},"__proto__":1}');
  console.log(v.a.join('|'), v.b.c, Object.keys(v).join(','));
  console.log(JSON.parse(' 42 '), JSON.parse('"str"'), JSON.parse('null'), JSON.parse('[]').length);
  for (const bad of ['{a:1}', "{'a':1}", '[1,]', '', '01', 'NaN', '{"a":1}x', '"\t"']) {
    try {
      JSON.parse(bad);
      console.log('accepted', JSON.stringify(bad));
    } catch (e) {
      console.log('rejected', JSON.stringify(bad), e.name);
    }
  }
}
