class HttpError extends Error {
  constructor(status, message) {
    super(message);
    Object.setPrototypeOf(this, new.target.prototype);
    this.name = 'HttpError';
    this.status = status;
  }
  describe() {
    return `${this.status} ${this.message}`;
  }
}
class NotFound extends HttpError {
  constructor(path) {
    super(404, `not found: ${path}`);
    this.name = 'NotFound';
  }
}

export default function () {
  try {
    throw new NotFound('/x');
  } catch (e) {
    console.log(e instanceof NotFound, e instanceof HttpError, e instanceof Error, e.describe(), String(e));
  }
}
