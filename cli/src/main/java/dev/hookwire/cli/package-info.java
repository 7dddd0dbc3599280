/**
 * The {@code hookwire} command-line tool: make keys, sign, verify, listen and send webhooks, for
 * people debugging them. {@link dev.hookwire.cli.Main} is the entry point.
 */
package dev.hookwire.cli;
