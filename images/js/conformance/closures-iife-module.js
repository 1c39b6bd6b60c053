const bank = (function () {
  let balance = 100;
  function change(n) {
    balance += n;
    return balance;
  }
  return { deposit: (n) => change(n), withdraw: (n) => change(-n) };
})();

export default function () {
  console.log(bank.deposit(50), bank.withdraw(30), typeof bank.balance);
}
