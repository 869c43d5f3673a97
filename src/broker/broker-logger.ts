export type BrokerLogLevel = 'info' | 'warn' | 'error';

/** Where the broker's modules report what happened (the broker writes warnings and errors to stderr by default). */
export type BrokerLogger = (level: BrokerLogLevel, message: string) => void;
