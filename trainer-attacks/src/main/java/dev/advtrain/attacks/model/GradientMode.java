package dev.advtrain.attacks.model;

/** Which forward pass an input gradient is taken through. */
public enum GradientMode {
    /**
     * The model as deployed: no dropout or weight noise, batch normalization on its running
     * statistics. Use this for evaluation; it is what an attacker of the deployed model faces.
     */
    INFERENCE,
    /**
     * The training-time forward pass (dropout active, batch statistics), which is what DL4J's own
     * backpropagation computes. Some adversarial-training recipes attack this.
     */
    TRAINING
}
