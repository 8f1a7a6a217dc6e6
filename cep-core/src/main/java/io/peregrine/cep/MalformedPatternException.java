package io.peregrine.cep;

/** A pattern that cannot work; the message names the element and the rule it breaks. */
public final class MalformedPatternException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MalformedPatternException(String message) {
        super(message);
    }
}
