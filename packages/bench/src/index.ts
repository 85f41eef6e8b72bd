// This package is a shell until its issue is done; see the README's status section.
export {};
