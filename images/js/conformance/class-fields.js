class Item {
  id = Item.next++;
  tags = [];
  label = `item-${this.id}`;
  static next = 1;
}

export default function () {
  const a = new Item();
  const b = new Item();
  a.tags.push('x');
  console.log(a.id, b.id, a.label, b.label, a.tags.length, b.tags.length);
  console.log(Object.keys(a).join(','));
}
