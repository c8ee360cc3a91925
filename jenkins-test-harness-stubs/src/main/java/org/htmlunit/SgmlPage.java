package org.htmlunit;

/** Left out: the supertypes DomNode and org.w3c.dom.Document. */
public abstract class SgmlPage implements Page {
    private static final long serialVersionUID = 1L;

    @Override
    public WebResponse getWebResponse() {
        throw new UnsupportedOperationException();
    }
}
