export default async function () {
  const results = await Promise.allSettled([Promise.resolve(1), Promise.reject(new Error('no')), 3]);
  console.log(results.map((r) => (r.status === 'fulfilled' ? `ok ${r.value}` : `err ${r.reason.message}`)).join('; '));
}
