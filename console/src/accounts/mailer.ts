import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** Sends the links the console creates. Without SMTP_URL nothing is sent: an admin passes links on. */
export interface Mailer {
  readonly configured: boolean;
  send(mail: Mail): Promise<void>;
}

export const NO_MAILER: Mailer = { configured: false, send: async () => {} };

export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  return {
    configured: true,
    send: async (mail) => {
      await transport.sendMail({ from, ...mail });
    },
  };
}
