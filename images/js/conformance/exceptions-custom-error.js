class ValidationError extends Error {
  constructor(field, message) {
    super(message);
    this.name = 'ValidationError';
    this.field = field;
  }
}

export default function () {
  try {
    throw new ValidationError('email', 'bad email');
  } catch (e) {
    console.log(e instanceof ValidationError, e instanceof Error, e.name, e.message, e.field);
    console.log(String(e), Object.prototype.toString.call(e));
  }
}
