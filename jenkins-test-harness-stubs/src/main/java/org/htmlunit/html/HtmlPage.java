package org.htmlunit.html;

import org.htmlunit.Page;
import org.htmlunit.WebResponse;

/**
 * Left out: the real direct superclass {@code SgmlPage} and its supertypes {@code DomNode} and
 * {@code org.w3c.dom.Document}; {@code Page}, which {@code SgmlPage} implements, is kept.
 */
public class HtmlPage implements Page {
    private static final long serialVersionUID = 1L;

    private HtmlPage() {
        throw new UnsupportedOperationException();
    }

    /** Declared by {@code SgmlPage} in the real API. */
    @Override
    public WebResponse getWebResponse() {
        throw new UnsupportedOperationException();
    }
}
