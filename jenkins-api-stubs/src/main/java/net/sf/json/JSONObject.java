package net.sf.json;

public final class JSONObject {
    public JSONObject() {
        throw new UnsupportedOperationException();
    }
}
