"""Inbound e-mail intake: an SMTP server (`resuelve mail-intake`) and a mailbox poller
(`resuelve fetch-mail`), both feeding `receive.mail_receive`. See docs/mail.md."""
