package org.htmlunit.html;

import org.htmlunit.SgmlPage;

public class HtmlPage extends SgmlPage {
    private static final long serialVersionUID = 1L;

    private HtmlPage() {
        throw new UnsupportedOperationException();
    }
}
