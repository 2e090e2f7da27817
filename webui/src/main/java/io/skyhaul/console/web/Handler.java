package io.skyhaul.console.web;

/** One page or form action of the console. */
@FunctionalInterface
public interface Handler {
    Reply handle(Exchange x) throws Exception;
}
