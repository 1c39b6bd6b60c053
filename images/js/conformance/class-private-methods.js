class Account {
  #balance = 0;
  static #instances = 0;
  constructor() {
    Account.#instances++;
  }
  #check(amount) {
    if (amount > this.#balance) throw new RangeError('insufficient funds');
  }
  deposit(n) {
    this.#balance += n;
    return this;
  }
  withdraw(n) {
    this.#check(n);
    this.#balance -= n;
    return this.#balance;
  }
  static get instances() {
    return Account.#instances;
  }
  static isAccount(o) {
    return #balance in o;
  }
}

export default function () {
  const a = new Account().deposit(50);
  console.log(a.withdraw(20));
  try {
    a.withdraw(100);
  } catch (e) {
    console.log(e.name, e.message);
  }
  new Account();
  console.log(Account.instances, Account.isAccount(a), Account.isAccount({}));
}
